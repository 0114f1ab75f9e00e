// Platforms as container runtimes compare them. containerd (and so Docker and Kubernetes)
// normalises a platform before matching it, so `linux/arm64` and `linux/arm64/v8`, or `linux/arm`
// and `linux/arm/v7`, name the same thing: two releases listing them differently have not added
// or removed a platform. The table follows containerd's `normalizeArch` and `normalizeOS`
// (https://github.com/containerd/platforms/blob/main/database.go).

export interface PlatformParts {
  os: string;
  architecture: string;
  variant?: string;
}

/** The normalised `os/architecture[/variant]`: equal keys are the same platform to a runtime. */
export function normalisePlatform(p: PlatformParts): string {
  let os = p.os.toLowerCase();
  if (os === 'macos') os = 'darwin';
  let arch = p.architecture.toLowerCase();
  let variant = (p.variant ?? '').toLowerCase();
  switch (arch) {
    case 'i386':
      arch = '386';
      variant = '';
      break;
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      arch = 'amd64';
      if (variant === 'v1') variant = '';
      break;
    case 'aarch64':
    case 'arm64':
      arch = 'arm64';
      if (variant === '8' || variant === 'v8' || variant === 'v8.0') variant = '';
      else if (variant === '9' || variant === '9.0' || variant === 'v9.0') variant = 'v9';
      break;
    case 'armhf':
      arch = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      arch = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (variant === '' || variant === '7') variant = 'v7';
      else if (variant === '5' || variant === '6' || variant === '8') variant = `v${variant}`;
      break;
  }
  return variant ? `${os}/${arch}/${variant}` : `${os}/${arch}`;
}

/** The same, for a platform written `os/architecture[/variant]` (a platform string, not a descriptor). */
export function normalisePlatformString(platform: string): string {
  const [os = '', architecture = '', ...rest] = platform.split('/');
  return normalisePlatform({ os, architecture, ...(rest.length ? { variant: rest.join('/') } : {}) });
}

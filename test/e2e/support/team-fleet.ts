// The team/fleet release several suites seed into a test registry: its goreleaser config and the
// policy that pins team/fleet to the release key the workspace carries as cosign.pub.
import { TWO_PLATFORM_RELEASE } from '../../support/fixtures';

/** fleet and fleet-agent under `{{ .Env.REGISTRY }}/team/`, tagged with the git tag. */
export const TEAM_FLEET_GORELEASER = `version: 2
project_name: fleet
dockers_v2:
  - id: fleet
    images: ["{{ .Env.REGISTRY }}/team/fleet"]
    tags: ["{{ .Tag }}"]
  - id: fleet-agent
    images: ["{{ .Env.REGISTRY }}/team/fleet-agent"]
    tags: ["{{ .Tag }}"]
`;

/** team/fleet v1.0.0 signed with a key on its index: cosign `.sig` + `.att`, no referrers. */
export const KEY_SIGNED_FLEET = { ...TWO_PLATFORM_RELEASE, referrersFor: [] };

/** team/fleet at `registryHost` signed with cosign.pub (beside the policy file), with no log entry. */
export const keyPolicy = (registryHost: string): string =>
  `version: 1\nimages:\n  - image: ${registryHost}/team/fleet\n    keys: [cosign.pub]\n    requireTlog: false\n`;

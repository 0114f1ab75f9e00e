// Command and view ids (package.json `contributes`): one place, so menus, tree items and tests agree.

export const CommandIds = {
  showVersion: 'provenanceLens.showVersion',
  verifyImage: 'provenanceLens.verifyImage',
  inspectImage: 'provenanceLens.inspectImage',
  addImage: 'provenanceLens.addImage',
  removeImage: 'provenanceLens.removeImage',
  copyDigest: 'provenanceLens.copyDigest',
  copyPinnedReference: 'provenanceLens.copyPinnedReference',
  showProvenance: 'provenanceLens.showProvenance',
  signIn: 'provenanceLens.signIn',
  signOut: 'provenanceLens.signOut',
  refresh: 'provenanceLens.refresh',
  retry: 'provenanceLens.retry',
  pickTag: 'provenanceLens.pickTag',
  compareWithPrevious: 'provenanceLens.compareWithPrevious',
  compareWithRelease: 'provenanceLens.compareWithRelease',
  openLog: 'provenanceLens.openLog',
  openPolicy: 'provenanceLens.openPolicy',
  runDemo: 'provenanceLens.runDemo',
  addAttestationFile: 'provenanceLens.addAttestationFile',
  removeAttestationFiles: 'provenanceLens.removeAttestationFiles',
  fetchGithubAttestations: 'provenanceLens.fetchGithubAttestations',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

export const ViewIds = {
  container: 'provenanceLens',
  releases: 'provenanceLens.releases',
} as const;

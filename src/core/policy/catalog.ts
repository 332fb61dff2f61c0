/**
 * The resource kinds LaunchDarkly policies name, with the actions each takes. LaunchDarkly adds
 * kinds and actions often: what is missing here draws a warning, never an error. To extend,
 * add a kind or an action below.
 */
export interface KindInfo {
  /** The kinds this kind sits under, outermost first (a flag is proj/...:env/...:flag/...). */
  parents: string[];
  actions: string[];
}

export const CATALOG: Record<string, KindInfo> = {
  proj: {
    parents: [],
    actions: [
      'createProject',
      'deleteProject',
      'updateProjectName',
      'updateTags',
      'updateIncludeInSnippetByDefault',
      'updateDefaultClientSideAvailability',
    ],
  },
  env: {
    parents: ['proj'],
    actions: [
      'createEnvironment',
      'deleteEnvironment',
      'updateName',
      'updateTags',
      'updateApiKey',
      'updateMobileKey',
      'updateRequireComments',
      'updateConfirmChanges',
      'updateColor',
      'updateTtl',
      'updateSecureMode',
    ],
  },
  flag: {
    parents: ['proj', 'env'],
    actions: [
      'createFlag',
      'deleteFlag',
      'updateOn',
      'updateTargets',
      'updateRules',
      'updateFallthrough',
      'updateOffVariation',
      'updatePrerequisites',
      'updateName',
      'updateDescription',
      'updateTags',
      'updateTemporary',
      'archiveFlag',
      'cloneFlag',
      'updateFlagVariations',
      'updateMaintainer',
      'copyFlagConfigFrom',
      'copyFlagConfigTo',
      'updateScheduledChanges',
      'createApprovalRequest',
      'reviewApprovalRequest',
      'applyApprovalRequest',
      'updateTrackEvents',
      'updateClientSideFlagAvailability',
    ],
  },
  segment: {
    parents: ['proj', 'env'],
    actions: [
      'createSegment',
      'deleteSegment',
      'updateIncluded',
      'updateExcluded',
      'updateRules',
      'updateName',
      'updateTags',
      'updateDescription',
    ],
  },
  experiment: {
    parents: ['proj', 'env'],
    actions: ['createExperiment', 'updateExperiment', 'updateExperimentArchived'],
  },
  holdout: { parents: ['proj', 'env'], actions: ['createHoldout', 'updateHoldout'] },
  metric: {
    parents: ['proj'],
    actions: ['createMetric', 'deleteMetric', 'updateMetric', 'updateName', 'updateTags'],
  },
  'context-kind': { parents: ['proj'], actions: ['createContextKind', 'updateContextKind'] },
  member: {
    parents: [],
    actions: ['createMember', 'deleteMember', 'updateRole', 'updateCustomRole'],
  },
  team: {
    parents: [],
    actions: [
      'createTeam',
      'deleteTeam',
      'updateTeamMembers',
      'updateTeamName',
      'updateTeamCustomRoles',
    ],
  },
  role: { parents: [], actions: ['createRole', 'deleteRole', 'updateName', 'updatePolicy'] },
  webhook: {
    parents: [],
    actions: [
      'createWebhook',
      'deleteWebhook',
      'updateName',
      'updateUrl',
      'updateSecret',
      'updateStatements',
      'updateOn',
      'updateTags',
    ],
  },
  integration: {
    parents: [],
    actions: [
      'createIntegration',
      'deleteIntegration',
      'updateName',
      'updateConfiguration',
      'updateOn',
    ],
  },
  'relay-proxy-config': {
    parents: [],
    actions: [
      'createRelayAutoConfiguration',
      'deleteRelayAutoConfiguration',
      'updateRelayAutoConfigurationName',
    ],
  },
  'code-reference-repository': {
    parents: [],
    actions: ['createCodeRefsRepository', 'deleteCodeRefsRepository', 'updateCodeRefsRepositoryOn'],
  },
  'service-token': {
    parents: [],
    actions: ['createAccessToken', 'deleteAccessToken', 'updateAccessTokenName'],
  },
  application: {
    parents: [],
    actions: [
      'createApplication',
      'deleteApplication',
      'updateApplicationName',
      'updateApplicationDescription',
    ],
  },
  acct: { parents: [], actions: ['updateOrganization', 'updateSubscription', 'updateRequireMfa'] },
};

export const KINDS = Object.keys(CATALOG);
export const ALL_ACTIONS = [...new Set(Object.values(CATALOG).flatMap((k) => k.actions))].sort();
/** ALL_ACTIONS as a set, for the lookup made for every action of every statement. */
export const KNOWN_ACTIONS: ReadonlySet<string> = new Set(ALL_ACTIONS);

export function kindsWithAction(action: string): string[] {
  return KINDS.filter((k) => CATALOG[k]?.actions.includes(action));
}

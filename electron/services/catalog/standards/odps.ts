/**
 * Zod schema for data product descriptors (`*.odps.yaml`) following the
 * Open Data Product Standard (ODPS) by Bitol (LF AI & Data Foundation).
 *
 *   Versions: v1.1.0 (current, "Peter Flook"), plus v1.0.0 and v0.9.0 documents.
 *   Spec:     https://bitol-io.github.io/open-data-product-standard/
 *   Source:   https://github.com/bitol-io/open-data-product-standard
 *
 * This is NOT the unrelated "Open Data Product Specification" (ODPS v4) of opendataproducts.org.
 *
 * Written by hand from the standard's published field definitions (its JSON Schemas for
 * v0.9.0, v1.0.0 and v1.1.0, the per-section documentation tables and the changelog); no
 * schema file or text of the standard is copied here, and nothing is fetched at run time.
 *
 * How versions are handled: like the standard's own JSON Schema (against which the standard
 * validates its examples, whatever `apiVersion` they declare), the v1.1.0 rules apply to every
 * supported `apiVersion`; fields added in v1.1.0 (`type`, `context`, `synonyms`, `deprecated`,
 * `id` on list items, `vendor` on custom properties, SBOM tags/customProperties/
 * authoritativeDefinitions) are therefore accepted in older documents too. The one older layout
 * kept is the v0.9.0 `team` (a list of members instead of an object with `members`), accepted
 * only in documents declaring v0.9.0, which are then held to the v0.9.0 requirements as well:
 * `status`, `inputPorts[].version`/`.contractId`, `outputPorts[].version` and
 * `outputPorts[].sbom[].url` (v1.1.0 requires none of these; v1.0.0 required them too).
 * Every object in the standard is closed (`additionalProperties: false`), so unknown keys are
 * rejected everywhere.
 * String formats (`uri`, `date`, `date-time`) are annotations here and are not enforced, so
 * `${VAR}` references (variables, added in v1.1.0) stay valid.
 */
import { z } from 'zod';

/** `apiVersion` values the standard enumerates (v1.1.0 JSON Schema). */
export const ODPS_API_VERSIONS = ['v1.1.0', 'v1.0.0', 'v0.9.0'] as const;
export type OdpsApiVersion = (typeof ODPS_API_VERSIONS)[number];
export const ODPS_LATEST_API_VERSION: OdpsApiVersion = 'v1.1.0';
export const ODPS_KIND = 'DataProduct' as const;

/** Example values only: the standard types `status` as a free string. */
export const ODPS_STATUS_EXAMPLES = ['proposed', 'draft', 'active', 'deprecated', 'retired'] as const;
/** Example values for the v1.1.0 top-level `type` (architectural alignment, RFC-0029); free string. */
export const ODPS_PRODUCT_TYPE_EXAMPLES = ['sourceAligned', 'aggregate', 'consumerAligned'] as const;
/** Example values for `managementPorts[].content`; free string. */
export const ODPS_MANAGEMENT_CONTENT_EXAMPLES = ['discoverability', 'observability', 'control', 'dictionary'] as const;
/** Example values for `managementPorts[].type` (default `rest`); free string. */
export const ODPS_MANAGEMENT_TYPE_EXAMPLES = ['rest', 'topic'] as const;
/** Example values for `support[].tool` and `support[].scope`; free strings. */
export const ODPS_SUPPORT_TOOL_EXAMPLES = ['email', 'slack', 'teams', 'discord', 'ticket', 'other'] as const;
export const ODPS_SUPPORT_SCOPE_EXAMPLES = ['interactive', 'announcements', 'issues'] as const;

/**
 * A value that is either an object (checked by `whenObject`) or a list (checked by `whenList`).
 * Unlike `z.union`, issues keep their exact paths inside the branch matching the input's shape.
 */
function objectOrList<O extends z.ZodType, L extends z.ZodType>(whenObject: O, whenList: L) {
  return z.unknown().transform((input, ctx): z.output<O> | z.output<L> => {
    const result = Array.isArray(input) ? whenList.safeParse(input) : whenObject.safeParse(input);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
}

/** A key that must be present even though any value (including null) is allowed. */
const anyPresentValue = z.unknown().refine((v) => v !== undefined, { message: 'Required' });

const tagsSchema = z.array(z.string());

export const odpsCustomPropertySchema = z.strictObject({
  id: z.string().optional(),
  property: z.string(),
  value: anyPresentValue,
  description: z.string().optional(),
  /** v1.1.0 (RFC-0035): vendor/provider the property belongs to; should be lowercase, not enforced. */
  vendor: z.string().optional(),
});

export const odpsAuthoritativeDefinitionSchema = z.strictObject({
  id: z.string().optional(),
  /** Examples: businessDefinition, canonicalUrl, glossary, implementation, ontology, taxonomy, transformationImplementation, tutorial, videoTutorial. */
  type: z.string(),
  url: z.string(),
  description: z.string().optional(),
});

const customPropertiesSchema = z.array(odpsCustomPropertySchema);
const authoritativeDefinitionsSchema = z.array(odpsAuthoritativeDefinitionSchema);

/** Tags, custom properties and authoritative definitions: the trio most sections carry. */
const extensible = {
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
};

export const odpsDescriptionSchema = z.strictObject({
  purpose: z.string().optional(),
  limitations: z.string().optional(),
  usage: z.string().optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
});

/** v1.1.0 (RFC-0041): alternative names. */
export const odpsSynonymSchema = z.strictObject({
  id: z.string().optional(),
  synonym: z.string(),
  description: z.string().optional(),
  /** BCP 47 language tag. */
  locale: z.string().optional(),
  source: z.string().optional(),
  status: z.string().optional(),
  customProperties: customPropertiesSchema.optional(),
});

/** v1.1.0 (RFC-0038): AI / semantic context, at product and output port level. */
export const odpsContextSchema = z.strictObject({
  instructions: z.string().optional(),
  verifiedStatements: z
    .array(
      z.strictObject({
        id: z.string().optional(),
        question: z.string(),
        answer: z.string().optional(),
        ...extensible,
      }),
    )
    .optional(),
  constraints: z
    .array(
      z.strictObject({
        id: z.string().optional(),
        constraint: z.string(),
        ...extensible,
      }),
    )
    .optional(),
});

/** Expectations: a contract the product consumes. v1.1.0 requires only `name` (v0.9.0/v1.0.0 also `version` and `contractId`). */
export const odpsInputPortSchema = z.strictObject({
  id: z.string().optional(),
  name: z.string(),
  version: z.string().optional(),
  contractId: z.string().optional(),
  deprecated: z.boolean().optional(),
  ...extensible,
});

/** Software bill of materials entry; `type` defaults to (and only supports) `external`. */
export const odpsSbomSchema = z.strictObject({
  id: z.string().optional(),
  type: z.string().optional(),
  url: z.string().optional(),
  ...extensible,
});

/** A dependency of an output port on a data contract version. */
export const odpsInputContractSchema = z.strictObject({
  id: z.string(),
  version: z.string(),
});

/** Promises: what the product exposes. `name` + `version` are the key. v1.1.0 requires only `name` (older: also `version`). */
export const odpsOutputPortSchema = z.strictObject({
  id: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  /** Free text, e.g. `tables`, `file`, `api`. */
  type: z.string().optional(),
  version: z.string().optional(),
  contractId: z.string().optional(),
  sbom: z.array(odpsSbomSchema).optional(),
  inputContracts: z.array(odpsInputContractSchema).optional(),
  deprecated: z.boolean().optional(),
  synonyms: z.array(odpsSynonymSchema).optional(),
  context: odpsContextSchema.optional(),
  ...extensible,
});

export const odpsManagementPortSchema = z.strictObject({
  id: z.string().optional(),
  name: z.string(),
  /** Examples: discoverability, observability, control, dictionary. */
  content: z.string(),
  /** `rest` (default) or `topic`. */
  type: z.string().optional(),
  url: z.string().optional(),
  channel: z.string().optional(),
  description: z.string().optional(),
  deprecated: z.boolean().optional(),
  ...extensible,
});

export const odpsSupportChannelSchema = z.strictObject({
  id: z.string().optional(),
  channel: z.string(),
  url: z.string(),
  description: z.string().optional(),
  tool: z.string().optional(),
  scope: z.string().optional(),
  invitationUrl: z.string().optional(),
  ...extensible,
});

const teamMemberFields = {
  id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  /** Free text, e.g. `owner`, `data steward`. */
  role: z.string().optional(),
  dateIn: z.string().optional(),
  dateOut: z.string().optional(),
  replacedByUsername: z.string().optional(),
  ...extensible,
};

/** v1.0.0+ member of `team.members`: `username` (user name or e-mail) is required. */
export const odpsTeamMemberSchema = z.strictObject({ username: z.string(), ...teamMemberFields });
/** v0.9.0 item of the `team` list: nothing required. */
export const odpsLegacyTeamMemberSchema = z.strictObject({ username: z.string().optional(), ...teamMemberFields });

/** v1.0.0+ team block (aligned on ODCS v3.1.0). The product owner is the member whose `role` says so. */
export const odpsTeamSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  members: z.array(odpsTeamMemberSchema).optional(),
  ...extensible,
});

const baseDocumentSchema = z.strictObject({
  apiVersion: z.enum(ODPS_API_VERSIONS),
  kind: z.literal(ODPS_KIND),
  id: z.string(),
  name: z.string().optional(),
  version: z.string().optional(),
  /** Examples: proposed, draft, active, deprecated, retired (required by the v0.9.0 and v1.0.0 schemas, optional since v1.1.0). */
  status: z.string().optional(),
  /** v1.1.0: architectural type, e.g. sourceAligned, aggregate, consumerAligned. */
  type: z.string().optional(),
  deprecated: z.boolean().optional(),
  synonyms: z.array(odpsSynonymSchema).optional(),
  context: odpsContextSchema.optional(),
  domain: z.string().optional(),
  tenant: z.string().optional(),
  description: odpsDescriptionSchema.optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  tags: tagsSchema.optional(),
  inputPorts: z.array(odpsInputPortSchema).optional(),
  outputPorts: z.array(odpsOutputPortSchema).optional(),
  managementPorts: z.array(odpsManagementPortSchema).optional(),
  support: z.array(odpsSupportChannelSchema).optional(),
  /** Object with members (v1.0.0+) or, in documents declaring v0.9.0, a list of members. */
  team: objectOrList(odpsTeamSchema, z.array(odpsLegacyTeamMemberSchema)).optional(),
  productCreatedTs: z.string().optional(),
});

type BaseDocument = z.infer<typeof baseDocumentSchema>;

function required(ctx: z.RefinementCtx, path: PropertyKey[], what: string): void {
  ctx.addIssue({ code: 'custom', path, message: `${what} is required in ODPS v0.9.0 documents` });
}

/** The v0.9.0 `team` list layout, and the v0.9.0 requirements that come with it. */
function checkLegacyLayout(doc: BaseDocument, ctx: z.RefinementCtx): void {
  if (!Array.isArray(doc.team)) return;
  if (doc.apiVersion !== 'v0.9.0') {
    ctx.addIssue({
      code: 'custom',
      path: ['team'],
      message: `team must be an object with members in ODPS ${doc.apiVersion} (the list layout is v0.9.0 only)`,
    });
    return;
  }
  if (doc.status === undefined) required(ctx, ['status'], 'status');
  doc.inputPorts?.forEach((port, i) => {
    if (port.version === undefined) required(ctx, ['inputPorts', i, 'version'], 'inputPorts[].version');
    if (port.contractId === undefined) required(ctx, ['inputPorts', i, 'contractId'], 'inputPorts[].contractId');
  });
  doc.outputPorts?.forEach((port, i) => {
    if (port.version === undefined) required(ctx, ['outputPorts', i, 'version'], 'outputPorts[].version');
    port.sbom?.forEach((sbom, j) => {
      if (sbom.url === undefined) required(ctx, ['outputPorts', i, 'sbom', j, 'url'], 'outputPorts[].sbom[].url');
    });
  });
}

/** A whole ODPS document (`*.odps.yaml`), any supported `apiVersion`. */
export const odpsDocumentSchema = baseDocumentSchema.superRefine(checkLegacyLayout);

export type OdpsDocument = z.infer<typeof odpsDocumentSchema>;
export type OdpsInputPort = z.infer<typeof odpsInputPortSchema>;
export type OdpsOutputPort = z.infer<typeof odpsOutputPortSchema>;
export type OdpsManagementPort = z.infer<typeof odpsManagementPortSchema>;
export type OdpsSupportChannel = z.infer<typeof odpsSupportChannelSchema>;
export type OdpsTeam = z.infer<typeof odpsTeamSchema>;
export type OdpsTeamMember = z.infer<typeof odpsTeamMemberSchema>;
export type OdpsCustomProperty = z.infer<typeof odpsCustomPropertySchema>;
export type OdpsAuthoritativeDefinition = z.infer<typeof odpsAuthoritativeDefinitionSchema>;
export type OdpsContext = z.infer<typeof odpsContextSchema>;

/** Team members whatever the version's layout (v0.9.0 list or v1.0.0+ `team.members`). */
export function odpsTeamMembers(doc: Pick<OdpsDocument, 'team'>): Array<z.infer<typeof odpsLegacyTeamMemberSchema>> {
  if (!doc.team) return [];
  return Array.isArray(doc.team) ? doc.team : (doc.team.members ?? []);
}

import { savedSectionSchema } from '../engine/saved-plan-schema.js';
import { planJsonSchema } from '../render/plan-schema.js';

/**
 * The schema of plan files (schemas/plan.schema.json): the JSON plan, whose schema the
 * renderer owns, plus the saved section, whose schema the engine owns.
 */
export const planFileSchema = {
  ...planJsonSchema,
  properties: { ...planJsonSchema.properties, saved: savedSectionSchema },
} as const;

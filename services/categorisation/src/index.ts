export type { Analysis, CategoriseInput } from './domain/analysis';
export { analyse } from './domain/analysis';
export { type CategoriseOverrides, categorise, isConsistent } from './domain/categorise';
export { applyCorrection, type Correction, type CorrectionInput, correctionSchema } from './domain/corrections';
export { defaultTaxonomy } from './domain/default-taxonomy';
export { detectLanguage, languageFromHint } from './domain/language';
export { applyModel, type CorrectionModel, correctionModelSchema } from './domain/learner';
export {
  type CompiledTaxonomy,
  compileTaxonomy,
  type LanguageRules,
  languageRulesSchema,
  type Taxonomy,
  type TaxonomyInput,
  type Topic,
  taxonomySchema,
  topicSchema,
} from './domain/taxonomy';
export { MAX_ANALYSED_CHARS } from './domain/text';
export { type TrainingExample, type TrainingOptions, trainCorrectionModel } from './domain/training';
export { CATEGORISER_VERSION } from './domain/version';

export { compareMessages, type CompareReport, type CompareResult, type SignatureIntegrity, type Rewrite, type RewriteKind } from './compareMessages';
export { formatCompareReport } from './format';

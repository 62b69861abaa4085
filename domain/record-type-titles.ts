import { findCatalogueItem } from './credit-catalogue';

/**
 * What a document prints for a record's type: the catalogue item's title (行政处罚信息), not its code
 * (administrative_penalty). A type from before the catalogue was free text already meant for people, and is printed
 * as it is. Not for workflow code: the catalogue is large reference data.
 */
export function recordTypeTitle(code: string): string {
  return findCatalogueItem(code)?.title ?? code;
}

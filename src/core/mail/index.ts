/** What a reader sees: the stitched message tree, the shown parts, cid: images, attachments and their protection. */
export { childrenOf, findPart, innermostContent, isWithin, messageTree, openedContent, parentPath, walkTree, type MessageTree } from './tree';
export {
  attachments,
  contentId,
  displayParts,
  isSavablePart,
  partKind,
  partProtection,
  relatedRoot,
  resolveContentId,
  type Attachment,
  type Coverage,
  type PartKind,
  type PartProtection,
} from './parts';
export { MAX_FILE_NAME_LENGTH, safeFileName } from './fileNames';
export { htmlToText } from './htmlText';

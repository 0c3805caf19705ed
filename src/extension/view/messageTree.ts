/**
 * The message as one tree: an application/pkcs7-mime entity that was opened (decrypted, unwrapped or
 * decompressed) gets the content found inside as its only child, under the path "<holder>.1" that the core
 * gave it. Part ids from the webview are looked up here and nowhere else.
 */
import type { MimeEntity, ParsedMessage } from '../../core/mime/entity';

export interface MessageTree {
  message: ParsedMessage;
  inner: Map<string, ParsedMessage>;
}

export function childrenOf(tree: MessageTree, entity: MimeEntity): MimeEntity[] {
  const opened = tree.inner.get(entity.path);
  return opened ? [opened.root] : entity.children;
}

export function* walkTree(tree: MessageTree, entity: MimeEntity = tree.message.root): Generator<MimeEntity> {
  yield entity;
  for (const child of childrenOf(tree, entity)) yield* walkTree(tree, child);
}

/** The part with this id, or undefined (ids are compared exactly; nothing is parsed out of them). */
export function findPart(tree: MessageTree, partId: string): MimeEntity | undefined {
  if (typeof partId !== 'string' || !/^1(\.\d+)*$/.test(partId)) return undefined;
  for (const entity of walkTree(tree)) if (entity.path === partId) return entity;
  return undefined;
}

/** True when `path` is `ancestor` or lies below it ("1.1" covers "1.1.2" but not "1.10"). */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor + '.');
}

export function parentPath(path: string): string | undefined {
  const i = path.lastIndexOf('.');
  return i < 0 ? undefined : path.slice(0, i);
}

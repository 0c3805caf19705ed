/**
 * The message as one tree: an application/pkcs7-mime entity that was opened (decrypted, unwrapped or
 * decompressed) gets the content found inside as its only child, under the path "<holder>.1" the analysis gave
 * it. Every front end walks this tree; none stitches the inner messages back on its own.
 */
import type { MimeEntity, ParsedMessage } from '../mime/entity';

/** Nesting is bounded by the parser (MAX_DEPTH) and the analysis (MAX_LAYER_DEPTH); this only stops a cycle. */
const MAX_UNWRAP_STEPS = 64;

export interface MessageTree {
  message: ParsedMessage;
  /** Contents found inside pkcs7-mime entities, by the path of the entity that holds them. */
  inner: ReadonlyMap<string, ParsedMessage>;
}

export function messageTree(message: ParsedMessage, inner: ReadonlyMap<string, ParsedMessage>): MessageTree {
  return { message, inner };
}

export function childrenOf(tree: MessageTree, entity: MimeEntity): MimeEntity[] {
  const opened = tree.inner.get(entity.path);
  return opened ? [opened.root] : entity.children;
}

/** The content opened from the pkcs7-mime entity at `holderPath` (decrypted, unwrapped or decompressed), if any. */
export function openedContent(tree: MessageTree, holderPath: string): ParsedMessage | undefined {
  return tree.inner.get(holderPath);
}

/** Depth first, parents before children, through opened layers. */
export function* walkTree(tree: MessageTree, entity: MimeEntity = tree.message.root): Generator<MimeEntity> {
  const stack: MimeEntity[] = [entity];
  while (stack.length) {
    const next = stack.pop()!;
    yield next;
    const children = childrenOf(tree, next);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

const PART_ID = /^1(?:\.\d{1,6}){0,64}$/;

/** The part with this id, or undefined (ids are compared exactly; nothing is parsed out of them). */
export function findPart(tree: MessageTree, partId: unknown): MimeEntity | undefined {
  if (typeof partId !== 'string' || !PART_ID.test(partId)) return undefined;
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

/** The content the outer layers wrap (through opened pkcs7-mime and the first part of multipart/signed). */
export function innermostContent(tree: MessageTree): MimeEntity {
  let entity = tree.message.root;
  for (let step = 0; step < MAX_UNWRAP_STEPS; step++) {
    const opened = tree.inner.get(entity.path);
    if (opened) entity = opened.root;
    else if (entity.contentType.mimeType === 'multipart/signed' && entity.children[0]) entity = entity.children[0];
    else break;
  }
  return entity;
}

/**
 * Parts of the page waiting to be walked. A change is scanned in its block (or its tree's root)
 * as a whole, so a run is always seen whole; a shallow root is walked for its own runs only.
 */
import { isBlockElement, type DomInfo } from './dom-info';

export class ScanRoots {
  /** Roots waiting to be walked: true = shallow (the block's own runs only). */
  private readonly roots = new Map<Node, boolean>();

  constructor(
    private readonly dom: DomInfo,
    /** Asks for a batch of work. */
    private readonly request: () => void,
  ) {}

  get size(): number {
    return this.roots.size;
  }

  /** Queues a root (a deep walk wins over a shallow one) and asks for work. */
  add(root: Node, shallow: boolean): void {
    if (!root.isConnected) return;
    const known = this.roots.get(root);
    if (known === undefined || (known && !shallow)) this.roots.set(root, shallow);
    this.request();
  }

  /** Whether a root waits to be walked. */
  has(root: Node): boolean {
    return this.roots.has(root);
  }

  /** Queues a root again, deep, while work is going on (a walk the page cut short). */
  again(root: Node): void {
    this.roots.set(root, false);
  }

  /** Takes the first root waiting (there must be one), and whether it is shallow. */
  take(): [Node, boolean] {
    const [root, shallow] = this.roots.entries().next().value as [Node, boolean];
    this.roots.delete(root);
    return [root, shallow];
  }

  /**
   * The scope to scan for a change at `node`: its block (or its tree's root), as a whole; null in
   * an element that is never read (`<head>`, `<style>`, our own UI…): a `<style>` a page or a
   * CSS-in-JS library adds to the head is no reason to scan the whole body again.
   */
  scopeOf(node: Node): Node | null {
    const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
    if (el && this.dom.isSkipped(el)) return null;
    if (node.nodeType === 1 && isBlockElement(node as Element)) return node;
    const block = this.dom.blockOf(node);
    const tree = node.getRootNode();
    return block && block.getRootNode() === tree ? block : tree.nodeType === 9 ? ((tree as Document).body ?? tree) : tree;
  }

  clear(): void {
    this.roots.clear();
  }
}

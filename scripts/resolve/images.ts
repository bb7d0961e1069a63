// The images a chapter shows, resolved to files in the project. A missing
// one is a warning at the image while writing (the PDF gets a visible
// placeholder box naming the path, as for a figure not drawn yet), an error
// with --strict and in the deadline check.
import type { Image, ImageReference, Nodes, Root } from 'mdast';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { linkedFile } from '../core/layout.js';

/** Each tree's images, found once (a kept chapter's tree is the same object from build to build). */
const imagesOfTree = new WeakMap<Root, Image[]>();

/** The images a tree shows, in reading order; a reference image (`![A map][map]`) with the URL of its definition. */
function imagesOf(tree: Root): Image[] {
  let found = imagesOfTree.get(tree);
  if (!found) imagesOfTree.set(tree, (found = findImages(tree)));
  return found;
}

function findImages(tree: Root): Image[] {
  const images: Image[] = [];
  const definitions = new Map<string, string>();
  const references: ImageReference[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'image') images.push(node);
    else if (node.type === 'imageReference') references.push(node);
    else if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  walk(tree);
  for (const reference of references) {
    const url = definitions.get(reference.identifier);
    if (url !== undefined) images.push({ type: 'image', url, alt: reference.alt, position: reference.position });
  }
  return images.sort((a, b) => (a.position?.start.offset ?? 0) - (b.position?.start.offset ?? 0));
}

export const isRemote = (url: string) => /^[a-z][a-z0-9+.-]*:/i.test(url);

export function checkImages(chapter: { file: string; tree: Root }, projectDir: string, exists: (file: string) => boolean, strict: boolean, allows: (file: string) => boolean = () => true): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const image of imagesOf(chapter.tree)) {
    const place = { file: chapter.file, line: image.position?.start.line, column: image.position?.start.column };
    const severity = strict ? { severity: 'error' as const } : {};
    if (isRemote(image.url)) {
      diagnostics.push(diagnostic('image-missing', `remote image "${image.url}" cannot be included offline; download it into the thesis folder`, place, severity));
      continue;
    }
    const file = linkedFile(chapter.file, image.url);
    if (!allows(file)) {
      diagnostics.push(diagnostic('path-outside-project', `image "${image.url}" is outside the project folder (a thesis reads only its own files); the PDF shows a placeholder`, place));
      continue;
    }
    if (!exists(file)) {
      const shown = file.startsWith(projectDir) ? file.slice(projectDir.length + 1) : file;
      diagnostics.push(diagnostic('image-missing', `image "${image.url}" not found (looked for ${shown} in the project folder); the PDF shows a placeholder`, place, severity));
    }
  }
  return diagnostics;
}

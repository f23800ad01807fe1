/**
 * The receipt drawn as a picture. WeChat's built-in browser cannot download files, but a
 * long press on an <img> offers "save image": this is how most tipsters will keep it.
 */
export function receiptImage(
  formatted: string,
  labels: { title: string; caption: string; site: string },
): string {
  const width = 720;
  const height = 420;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return '';
  const sans =
    'system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#13315c';
  context.fillRect(0, 0, width, 88);
  context.fillStyle = '#ffffff';
  context.textBaseline = 'middle';
  context.font = `700 36px ${sans}`;
  context.fillText(labels.site, 40, 46);
  context.fillStyle = '#1c2024';
  context.font = `600 32px ${sans}`;
  context.fillText(labels.title, 40, 150);
  context.font = `700 56px ui-monospace, "SF Mono", Menlo, Consolas, "Noto Sans Mono", monospace`;
  context.fillText(formatted, 40, 240, width - 80);
  context.fillStyle = '#4a5259';
  context.font = `400 28px ${sans}`;
  wrap(context, labels.caption, 40, 318, width - 80, 40);
  context.strokeStyle = '#c9d0d6';
  context.lineWidth = 4;
  context.strokeRect(2, 2, width - 4, height - 4);
  return canvas.toDataURL('image/png');
}

/** Draws text over as many lines as it needs (Chinese has no spaces: break anywhere). */
function wrap(
  context: CanvasRenderingContext2D,
  value: string,
  x: number,
  y: number,
  maxWidth: number,
  lineHeight: number,
) {
  let line = '';
  let top = y;
  for (const character of value) {
    if (context.measureText(line + character).width > maxWidth && line) {
      context.fillText(line, x, top);
      line = character.trimStart();
      top += lineHeight;
    } else {
      line += character;
    }
  }
  if (line) context.fillText(line, x, top);
}

import { networkError, RequestError, toRequestError } from '#lib/api.ts';
import { m } from '#lib/paraglide/messages.js';
import { limits, type UploadForm } from './contract.ts';

/** Longest side of an uploaded photo, in pixels, and its JPEG quality. */
export const maxEdge = 2048;
export const jpegQuality = 0.85;

interface Decoded {
  image: CanvasImageSource;
  width: number;
  height: number;
  release(): void;
}

async function decode(file: Blob): Promise<Decoded> {
  if (typeof createImageBitmap === 'function') {
    try {
      // Turned upright by its EXIF orientation, which the re-encoded photo no longer carries.
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return {
        image: bitmap,
        width: bitmap.width,
        height: bitmap.height,
        release: () => bitmap.close(),
      };
    } catch {
      // Older in-app browsers: fall back to an <img>.
    }
  }
  const url = URL.createObjectURL(file);
  const image = new Image();
  image.src = url;
  try {
    await image.decode();
  } catch (failure) {
    URL.revokeObjectURL(url);
    throw failure;
  }
  return {
    image,
    width: image.naturalWidth,
    height: image.naturalHeight,
    release: () => URL.revokeObjectURL(url),
  };
}

/**
 * A photo made ready to send: at most 2048 px on its longest side, re-encoded as JPEG.
 * Drawing it on a canvas also drops its metadata (the server strips it again regardless).
 * A photo the browser cannot decode is sent as it is when the upload form accepts it.
 */
export async function preparePhoto(file: Blob): Promise<Blob> {
  let decoded: Decoded;
  try {
    decoded = await decode(file);
  } catch {
    if (
      (limits.photoTypes as readonly string[]).includes(file.type) &&
      file.size <= limits.photoBytes
    ) {
      return file;
    }
    throw new Error(m.photo_unreadable());
  }
  try {
    const scale = Math.min(1, maxEdge / Math.max(decoded.width, decoded.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(decoded.width * scale));
    canvas.height = Math.max(1, Math.round(decoded.height * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error(m.photo_unreadable());
    context.fillStyle = '#ffffff'; // transparent PNG areas become white, not black
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(decoded.image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) =>
      canvas.toBlob(resolve, 'image/jpeg', jpegQuality),
    );
    canvas.width = 0; // frees the bitmap memory at once on phones
    canvas.height = 0;
    if (!blob) throw new Error(m.photo_unreadable());
    return blob;
  } finally {
    decoded.release();
  }
}

/**
 * Sends one photo with its signed form (an S3 presigned POST, or the embedded cloud's
 * equivalent): the form's fields, then the file last. XMLHttpRequest, because fetch cannot
 * report upload progress.
 */
export function uploadPhoto(
  form: UploadForm,
  photo: Blob,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
    // S3 checks the Content-Type field against the policy; the local store reads it too.
    if (!('Content-Type' in form.fields)) body.append('Content-Type', photo.type || 'image/jpeg');
    body.append('file', photo, 'photo.jpg');
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.url);
    xhr.timeout = 180_000;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = undefined; // S3 answers in XML
      }
      reject(toRequestError(xhr.status, parsed));
    };
    xhr.onerror = () => reject(networkError());
    xhr.ontimeout = () => reject(networkError());
    xhr.send(body);
  });
}

export const isRetryable = (failure: unknown) =>
  failure instanceof RequestError && failure.retryable;

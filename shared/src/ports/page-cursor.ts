/**
 * A list's cursor that the list did not give for this request: not base64url, not JSON, not
 * a key of the index, or a key of another partition (another jurisdiction, status,
 * enterprise or list). The API answers it 400 `invalid_cursor`.
 */
export class InvalidCursor extends Error {
  constructor(reason: string) {
    super(`invalid cursor: ${reason}`);
    this.name = 'InvalidCursor';
  }
}

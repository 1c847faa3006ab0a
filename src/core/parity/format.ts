// The format of a value, finer than its JSON type: a noisy field (one that differs between two baseline
// answers) is still compared by format, so a request id that stops being a UUID or a timestamp that
// stops being a date is reported although its value was expected to change.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+\.\d+$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

export function isDateTime(text: string): boolean {
  return DATE_TIME.test(text) && !Number.isNaN(Date.parse(text));
}

export function formatOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    case 'string': {
      if (value === '') return 'empty string';
      if (UUID.test(value)) return 'uuid';
      if (isDateTime(value)) return 'date-time';
      if (DATE.test(value)) return 'date';
      if (INTEGER.test(value)) return 'integer string';
      if (DECIMAL.test(value)) return 'decimal string';
      if (URL_LIKE.test(value)) return 'url';
      if (EMAIL.test(value)) return 'email';
      return 'text';
    }
    default:
      return 'undefined';
  }
}

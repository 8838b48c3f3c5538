import { describeError } from '../errors';

/** A failure, as a sentence, announced to screen readers as it appears. */
export function ErrorMessage({ error, text }: { error?: unknown; text?: string }) {
  if (!error && !text) return null;
  return (
    <p className="error" role="alert">
      {text ?? describeError(error)}
    </p>
  );
}

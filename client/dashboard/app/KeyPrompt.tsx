import { useState } from 'preact/hooks';

/** Props of {@link KeyPrompt}. */
export interface KeyPromptProps {
  /** The server refused the key this tab had (wrong, or changed since). */
  refused: boolean;
  onSubmit(key: string): void;
}

/**
 * The only thing shown while the server wants an API key this tab does not
 * have: no workflow data is requested until the server accepts one.
 */
export function KeyPrompt({ refused, onSubmit }: KeyPromptProps) {
  const [value, setValue] = useState('');
  return (
    <main class="key-prompt">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          const key = value.trim();
          if (key) onSubmit(key);
        }}
      >
        <h1>Flowstate</h1>
        <p>This server wants an API key (the <code>API_KEY</code> it was started with). It is kept for this tab only.</p>
        {refused && (
          <p class="alert" role="alert" id="key-error">
            The server refused that key. Check it and try again.
          </p>
        )}
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="current-password"
          required
          value={value}
          aria-invalid={refused}
          aria-describedby={refused ? 'key-error' : undefined}
          onInput={(e) => setValue(e.currentTarget.value)}
          autoFocus
        />
        <button type="submit" class="primary">
          Open the dashboard
        </button>
      </form>
    </main>
  );
}

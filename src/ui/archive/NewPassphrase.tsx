/**
 * What the passphrase dialogs (Save encrypted copy, Lock, Unlock) share: the `Passphrase` and
 * `Confirm passphrase` fields of a new passphrase with a strength hint that does not block, and
 * the words beside their progress bar.
 */
import type { Progress } from '../../worker/protocol';
import { percentOf } from '../job';

/** Argon2id first (no total yet), then the phase and percent. */
export function progressText(progress: Progress): string {
  const percent = percentOf(progress);
  if (percent === undefined) return 'Deriving the key…';
  if (progress.phase === 'verifying') return `Checking the encrypted copy… ${percent}%`;
  if (progress.phase === 'sealing') return `Encrypting… ${percent}%`;
  return `${percent}%`;
}

/** A rough, non-blocking hint: length and variety, in words. */
function strength(passphrase: string): { label: string; weak: boolean } {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((r) => r.test(passphrase)).length;
  const words = passphrase.trim().split(/\s+/).filter(Boolean).length;
  if (passphrase.length === 0) return { label: 'Choose a passphrase only you know: several unrelated words work well.', weak: true };
  if (passphrase.length < 10) return { label: 'Short: easy to guess. Longer is much safer.', weak: true };
  if (words >= 4 || passphrase.length >= 20 || (passphrase.length >= 14 && classes >= 3)) return { label: 'Strong.', weak: false };
  return { label: 'Fair. A few more words would make it strong.', weak: false };
}

/** True when both fields hold the same non-empty passphrase. */
export const passphraseReady = (passphrase: string, confirm: string) => passphrase !== '' && passphrase === confirm;

export function NewPassphraseFields({
  id,
  passphrase,
  confirm,
  onPassphrase,
  onConfirm,
}: {
  /** Prefix for the hint's id (unique on the page). */
  id: string;
  passphrase: string;
  confirm: string;
  onPassphrase: (value: string) => void;
  onConfirm: (value: string) => void;
}) {
  const hint = strength(passphrase);
  const mismatch = confirm !== '' && confirm !== passphrase;
  return (
    <>
      <label class="field">
        Passphrase
        <input
          type="password"
          autocomplete="new-password"
          value={passphrase}
          aria-describedby={`${id}-hint`}
          onInput={(e) => onPassphrase((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <p id={`${id}-hint`} class={hint.weak ? 'hint problem-soft' : 'hint'}>
        {hint.label}
      </p>
      <label class="field">
        Confirm passphrase
        <input
          type="password"
          autocomplete="new-password"
          value={confirm}
          aria-invalid={mismatch}
          onInput={(e) => onConfirm((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      {mismatch && <p class="hint problem">The two passphrases differ.</p>}
    </>
  );
}

/**
 * A long worker job as a dialog or button runs it (export, encrypted copy, lock, unlock): its
 * progress, its error in words, and Cancel. One of these per control.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Progress, ProgressPhase } from '../worker/protocol';
import { asWire } from './App';
import { errorText } from './messages';

export interface WorkerJob {
  progress: Progress | undefined;
  error: string | undefined;
  /** Runs `job`; its result, or undefined when it failed (the error is shown) or was cancelled. */
  run<T>(job: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<T>): Promise<T | undefined>;
  cancel(): void;
}

/** `phase` is what the progress shows before the worker's first event. */
export function useWorkerJob(phase: ProgressPhase): WorkerJob {
  const [progress, setProgress] = useState<Progress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const controller = useRef<AbortController | undefined>(undefined);
  async function run<T>(job: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<T>): Promise<T | undefined> {
    controller.current = new AbortController();
    setError(undefined);
    setProgress({ phase, done: 0, total: 0 });
    try {
      return await job(controller.current.signal, setProgress);
    } catch (e) {
      const wire = asWire(e);
      if (wire.code !== 'cancelled') setError(errorText(wire));
      return undefined;
    } finally {
      setProgress(undefined);
      controller.current = undefined;
    }
  }
  return { progress, error, run, cancel: () => controller.current?.abort() };
}

/** Whole percent done, or undefined while the total is unknown. */
export const percentOf = (p: Progress): number | undefined => (p.total > 0 ? Math.floor((p.done / p.total) * 100) : undefined);

/** A progress bar named `label`, an optional text beside it, and the job's cancel button. */
export function JobProgress({
  progress,
  label,
  text,
  cancelLabel = 'Cancel',
  onCancel,
}: {
  progress: Progress;
  label: string;
  text?: string;
  cancelLabel?: string;
  onCancel: () => void;
}) {
  return (
    <span class="export-progress">
      <progress aria-label={label} max={100} value={percentOf(progress)} />
      {text !== undefined && <span>{text}</span>}
      <button type="button" onClick={onCancel}>
        {cancelLabel}
      </button>
    </span>
  );
}

/** Inside a job's dialog: its progress (named `label`, with `text`) while it runs, and its error. */
export function JobStatus({ job, label, text }: { job: WorkerJob; label: string; text?: (p: Progress) => string }) {
  return (
    <>
      {job.progress && (
        <p>
          <JobProgress progress={job.progress} label={label} text={text?.(job.progress)} onCancel={job.cancel} />
        </p>
      )}
      {job.error && (
        <p role="alert" class="error">
          {job.error}
        </p>
      )}
    </>
  );
}

/** A dialog's buttons: its submit button (`children`), then Close. */
export function DialogActions({ children, disabled, onClose }: { children: ComponentChildren; disabled?: boolean; onClose: () => void }) {
  return (
    <div class="actions">
      <button type="submit" class="primary" disabled={disabled}>
        {children}
      </button>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}

/** A modal `<dialog>` shown while `open` is true. */
export function useModal(open: boolean) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  return dialog;
}

/**
 * A progress bar on stderr, without dependency. On a terminal it redraws one line a few times a second, with
 * the rate and the time left;
 * elsewhere (a log, CI) it writes a line every LOG_EVERY rows so that the log stays readable.
 */
export interface ImportProgress {
  /** What is being read: the legal units (SIRENE, first pass) or the lines of the main file. */
  phase: 'unites_legales' | 'lignes';
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
}

const LOG_EVERY = 100_000;
const REDRAW_MS = 200;
const WIDTH = 30;

const LABELS: Record<ImportProgress['phase'], string> = { unites_legales: 'Unités légales', lignes: 'Lignes' };

/** Time left at the rate of the bytes read so far: « reste 2 min 05 s ». */
export function remaining(progress: Pick<ImportProgress, 'bytesRead' | 'totalBytes'>, elapsedMs: number): string {
  if (progress.bytesRead <= 0 || progress.totalBytes <= progress.bytesRead) return '';
  const seconds = Math.round(((progress.totalBytes - progress.bytesRead) * elapsedMs) / progress.bytesRead / 1000);
  const minutes = Math.floor(seconds / 60);
  return `reste ${minutes > 0 ? `${minutes} min ${String(seconds % 60).padStart(2, '0')} s` : `${seconds} s`}`;
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  let phase: ImportProgress['phase'] | undefined;
  let phaseStarted = 0;
  let lastDraw = 0;
  let lastLogged = 0;
  let drawn = false;
  const end = () => {
    if (drawn) stream.write('\n');
    drawn = false;
  };
  const update = (progress: ImportProgress) => {
    const now = Date.now();
    if (progress.phase !== phase) {
      end();
      phase = progress.phase;
      phaseStarted = now;
      lastLogged = 0;
    }
    const percent = Math.round((progress.totalBytes > 0 ? Math.min(1, progress.bytesRead / progress.totalBytes) : 0) * 100);
    const rows = progress.rowsRead.toLocaleString('fr-FR');
    if (!stream.isTTY) {
      if (progress.rowsRead - lastLogged < LOG_EVERY) return;
      lastLogged = progress.rowsRead;
      stream.write(`${LABELS[progress.phase]} : ${rows} lues (${percent} %)\n`);
      return;
    }
    if (now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    drawn = true;
    const filled = Math.round((percent / 100) * WIDTH);
    const elapsed = Math.max(1, now - phaseStarted);
    const rate = Math.round((progress.rowsRead * 1000) / elapsed).toLocaleString('fr-FR');
    stream.write(
      `\r${LABELS[progress.phase].padEnd(15)} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ` +
        `${String(percent).padStart(3)} %  ${rows} lues  ${rate} lignes/s  ${remaining(progress, elapsed)}\x1b[K`,
    );
  };
  return { update, end };
}

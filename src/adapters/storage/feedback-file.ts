/**
 * Feedback and snoozes in one JSON file (`<dir>/feedback.json`), written atomically (temp file +
 * rename) and one write at a time within the process. A file that is not valid JSON is reported
 * with its path and never overwritten. One bot process per data directory (as the file store).
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  activeSnoozes,
  addToTally,
  type FeedbackEntry,
  type FeedbackStore,
  type RuleTally,
  type Snooze,
} from "../../ports/feedback.js";
import { StoreCorrupt } from "../../ports/store.js";

interface FeedbackFile {
  readonly tally: RuleTally[];
  readonly snoozes: Snooze[];
}

export class FileFeedbackStore implements FeedbackStore {
  readonly file: string;
  #queue: Promise<unknown> = Promise.resolve();
  constructor(dir: string) {
    this.file = join(dir, "feedback.json");
  }

  async #read(): Promise<FeedbackFile> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { tally: [], snoozes: [] };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<FeedbackFile>;
      return { tally: parsed.tally ?? [], snoozes: parsed.snoozes ?? [] };
    } catch (cause) {
      throw new StoreCorrupt(this.file, cause);
    }
  }

  /** Runs `change` on the file's content and writes the result, one change at a time. */
  #update(change: (f: FeedbackFile) => FeedbackFile): Promise<void> {
    const next = this.#queue.then(async () => {
      const updated = change(await this.#read());
      await mkdir(join(this.file, ".."), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(updated, null, 2)}\n`);
      await rename(tmp, this.file);
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  record(entry: FeedbackEntry): Promise<void> {
    return this.#update((f) => ({ ...f, tally: addToTally(f.tally, entry) }));
  }
  async tally(): Promise<RuleTally[]> {
    await this.#queue;
    return (await this.#read()).tally;
  }
  snooze(snooze: Snooze): Promise<void> {
    return this.#update((f) => ({
      ...f,
      snoozes: [
        ...f.snoozes.filter((s) => !(s.conversation === snooze.conversation && s.server === snooze.server)),
        snooze,
      ],
    }));
  }
  async snoozed(conversation: string, nowIso: string): Promise<string[]> {
    await this.#queue;
    return activeSnoozes((await this.#read()).snoozes, conversation, nowIso);
  }
}

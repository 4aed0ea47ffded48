import fs from 'node:fs';
import { unreadableFile } from '../source-errors.ts';
import type { ImporterDefinition } from '../types.ts';
import { parseKumaBackup } from './backup.ts';
import { readKumaDatabase } from './database.ts';
import { KUMA_MONITOR_FIELDS, mapKuma } from './map.ts';
import { kumaMonitorRows } from './monitor-types.ts';
import { kumaNotificationRows } from './notifications.ts';
import type { KumaSource } from './source.ts';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Uptime Kuma: a 2.x database (`data/kuma.db`) or a 1.x backup JSON file. */
export const uptimeKumaImporter: ImporterDefinition<KumaSource> = {
  name: 'uptime-kuma',
  title: 'Uptime Kuma',
  fileArgument: '<kuma.db|backup.json>',
  description:
    'monitors, notifications, groups and tags from an Uptime Kuma 2.x database (data/kuma.db, ' +
    'opened read-only; stop Kuma or copy the file first) or a 1.x backup JSON file',
  read: readKumaFile,
  map: mapKuma,
  mappings: [
    { title: 'Monitor types', rows: kumaMonitorRows() },
    { title: 'Monitor settings', rows: KUMA_MONITOR_FIELDS },
    { title: 'Notifications', rows: kumaNotificationRows() },
  ],
};

/** A database or a backup, told apart by the file's first bytes rather than its name. */
function readKumaFile(file: string): KumaSource {
  if (firstBytes(file, SQLITE_MAGIC.length) === SQLITE_MAGIC) return readKumaDatabase(file);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw unreadableFile(file, 'is neither an SQLite database nor JSON (a Kuma backup)', error);
  }
  return parseKumaBackup(json, file);
}

/** The file's first bytes (a database holds years of heartbeats: never read it whole). */
function firstBytes(file: string, length: number): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(length);
    const read = fs.readSync(fd, head, 0, length, 0);
    return head.subarray(0, read).toString('latin1');
  } catch (error) {
    throw unreadableFile(file, 'cannot be read', error);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

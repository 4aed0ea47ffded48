import { z } from 'zod';

// TODO(schemas helper): the real shape.
export const alertLogEntrySchema = z.unknown();

// TODO(schemas helper): the real shape.
export const alertRouteSchema = z.unknown();

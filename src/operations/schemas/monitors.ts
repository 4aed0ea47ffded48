import { z } from 'zod';

// TODO(schemas helper): the real shape.
export const monitorSchema = z.unknown();

// TODO(schemas helper): the real shape.
export const monitorStatusSchema = z.unknown();

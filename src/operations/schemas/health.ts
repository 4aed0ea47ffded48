import { z } from 'zod';

// TODO(schemas helper): the real shape.
export const healthSchema = z.unknown();

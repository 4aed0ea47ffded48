import { z } from 'zod';

// TODO(schemas helper): the real shape.
export const incidentSchema = z.unknown();

// TODO(schemas helper): the real shape.
export const incidentDetailSchema = z.unknown();

// TODO(schemas helper): the real shape.
export const roundSchema = z.unknown();

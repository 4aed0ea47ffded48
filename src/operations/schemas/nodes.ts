import { z } from 'zod';

// TODO(schemas helper): the real shape.
export const nodeViewSchema = z.unknown();

// TODO(schemas helper): the real shape.
export const nodeDetailSchema = z.unknown();

// TODO(schemas helper): the real shape.
export const clusterOverviewSchema = z.unknown();

// Recurring series of posts (/api/v1/series; docs/openapi.yaml is the contract). A
// series keeps its rule in local wall time and its zone; its occurrences are ordinary
// posts the server makes over the coming weeks, each reviewed like any post.
import { newIdempotencyKey, query, request, type Page } from './api';
import type { PostStatus } from './api';
import type { Variant } from './posts';

export type Frequency = 'daily' | 'weekly' | 'monthly_by_day' | 'monthly_by_weekday';
export type WeekdayName = 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';

// Sunday first, as Date.getUTCDay() counts.
export const WEEKDAYS: WeekdayName[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
export const WEEKDAY_LABELS: Record<WeekdayName, string> = {
  sunday: 'Sun',
  monday: 'Mon',
  tuesday: 'Tue',
  wednesday: 'Wed',
  thursday: 'Thu',
  friday: 'Fri',
  saturday: 'Sat',
};

export interface SeriesRule {
  frequency: Frequency;
  interval?: number;
  weekdays?: WeekdayName[];
  month_day?: number;
  week_ordinal?: number;
  weekday?: WeekdayName;
  time: string;
  time_zone: string;
  start_date: string;
  until_date?: string | null;
  count?: number | null;
  zone_changes?: { from: string; time_zone: string }[];
}

export interface Series {
  id: number;
  brand_id: number;
  campaign_id: number | null;
  created_by: number;
  status: 'active' | 'ended';
  rule: SeriesRule;
  description: string;
  master_text: string;
  variants: Variant[];
  materialized_until: string;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
}

export interface SeriesInput {
  brand_id: number;
  campaign_id?: number | null;
  rule: SeriesRule;
  master_text: string;
  variants: Omit<Variant, 'link_with_utm'>[];
}

export interface Occurrence {
  post_id: number;
  status: PostStatus;
  scheduled_at: string | null;
  time_zone: string;
  series_date: string;
  series_state: 'linked' | 'detached' | 'replaced';
  series_note: string;
  blocked: boolean;
}

export const seriesApi = {
  create: (input: SeriesInput) =>
    request<Series>('POST', '/api/v1/series', { body: input, idempotencyKey: newIdempotencyKey() }),
  get: (id: number) => request<Series>('GET', `/api/v1/series/${id}`),
  list: (brandId: number | null) =>
    request<Page<Series>>('GET', `/api/v1/series?${query({ brand_id: brandId === null ? null : String(brandId) })}`),
  occurrences: (id: number) => request<{ items: Occurrence[] }>('GET', `/api/v1/series/${id}/occurrences`),
  end: (id: number) => request<Series>('POST', `/api/v1/series/${id}/end`),
  // Changes from now on ("this and following").
  update: (id: number, change: Partial<Pick<SeriesInput, 'campaign_id' | 'rule' | 'master_text' | 'variants'>>) =>
    request<Series>('PATCH', `/api/v1/series/${id}`, { body: change }),
};

// The composer's "Repeat" choice.
export type RepeatKind = 'none' | 'daily' | 'weekdays' | 'weekly' | 'monthly';
export interface RepeatChoice {
  kind: RepeatKind;
  days: WeekdayName[]; // weekly
}

export const NO_REPEAT: RepeatChoice = { kind: 'none', days: [] };

// The weekday of a YYYY-MM-DD date.
export function weekdayOf(date: string): WeekdayName {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
}

// The rule for a repeat choice starting on `date` at `time` in `zone`; a message when
// the choice is incomplete.
export function ruleFor(choice: RepeatChoice, date: string, time: string, zone: string): SeriesRule | string {
  if (!date) return 'Choose the date of the first post to repeat it.';
  const base = { time: time || '09:00', time_zone: zone, start_date: date };
  switch (choice.kind) {
    case 'daily':
      return { ...base, frequency: 'daily' };
    case 'weekdays':
      return { ...base, frequency: 'weekly', weekdays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] };
    case 'weekly':
      return { ...base, frequency: 'weekly', weekdays: choice.days.length > 0 ? choice.days : [weekdayOf(date)] };
    case 'monthly':
      return { ...base, frequency: 'monthly_by_day', month_day: Number(date.slice(8, 10)) };
    default:
      return 'Choose how the post repeats.';
  }
}

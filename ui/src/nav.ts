// The app's sections, in navigation order. `action` is the permission
// (domain/permissions.cc) a user needs somewhere to see the item; the server checks
// every API call again, so hiding an item is a convenience, not the protection.
export interface Section {
  path: string;
  label: string;
  action: string;
  // For sections a later release fills: one line on what will be there.
  coming?: string;
  // Reached from a link or the header, not listed in the navigation.
  hidden?: boolean;
}

// An `action` every signed-in user has.
export const ANYONE = '';

export const SECTIONS: Section[] = [
  {
    path: '/calendar',
    label: 'Calendar',
    action: 'posts.read',
  },
  // Campaigns (calendar and campaign pages).
  {
    path: '/campaigns',
    label: 'Campaigns',
    action: 'posts.read',
  },
  // ---- composer and review (webcompose) ----
  { path: '/compose', label: 'Compose', action: 'posts.draft' },
  { path: '/review', label: 'Review', action: 'posts.review' },
  { path: '/posts', label: 'Edit post', action: 'posts.draft', hidden: true },
  { path: '/series', label: 'Series', action: 'posts.read', hidden: true },
  { path: '/notifications', label: 'Notifications', action: ANYONE, hidden: true },
  // ---- end composer and review ----
  // Patient HIPAA authorizations (compliance records them; authors attach them).
  { path: '/authorizations', label: 'Authorizations', action: 'authorizations.read' },
  {
    path: '/inbox',
    label: 'Inbox',
    action: 'inbox.read',
    coming:
      'Comments, mentions and messages from every platform in one queue, crises first, with approved answers and guarded replies.',
  },
  {
    path: '/listening',
    label: 'Listening',
    action: 'inbox.read',
    coming:
      'Public conversation about your organization and your topics, with a radar for health misinformation as it starts to spread.',
  },
  {
    path: '/analytics',
    label: 'Analytics',
    action: 'analytics.read',
    coming:
      'Audience, engagement and response times per platform and campaign, misinformation trends, exports and a weekly report.',
  },
  { path: '/screen', label: 'Screen', action: 'screen.run' },
  { path: '/users', label: 'Users', action: 'users.read' },
  { path: '/audit', label: 'Audit', action: 'audit.read' },
  {
    path: '/settings',
    label: 'Settings',
    action: 'org.manage',
    coming:
      'Brands, connected platform accounts, single sign-on and retention settings for your organization.',
  },
];

export function findSection(path: string): Section | undefined {
  return SECTIONS.find((s) => path === s.path || path.startsWith(s.path + '/'));
}

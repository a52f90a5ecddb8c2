/**
 * Collaborative notes: Yjs updates as events, sealed segments, client-id
 * registrations and ephemeral presence. Owned by the notes sync (issue 4).
 */
export const notesTables = {};

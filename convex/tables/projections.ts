/**
 * Projector checkpoints, dead letters and the read views (meetingNotes,
 * meetingState, transcriptSegments, insights, keyframes). Owned by the
 * projections (issue 5).
 */
export const projectionTables = {};

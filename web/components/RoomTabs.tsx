"use client";

/** The parts of the room a phone shows one at a time. */
export type RoomTab = "notes" | "call" | "transcript" | "people";

const LABELS: Record<RoomTab, string> = {
  notes: "Notes",
  call: "Call",
  transcript: "Transcript",
  people: "People & chat",
};

/**
 * Tabs over the room's parts at phone width (hidden by CSS on wider screens,
 * where everything shows at once). Switching only hides the other parts with
 * CSS (`.room-tab-*` on the room, `data-tab` on each part): nothing unmounts,
 * so the notes editor keeps its contents, caret and undo history, and the call
 * keeps playing.
 */
export function RoomTabs({
  tab,
  tabs,
  onChange,
}: {
  tab: RoomTab;
  tabs: RoomTab[];
  onChange: (tab: RoomTab) => void;
}) {
  return (
    <div className="room-tabs" role="tablist" aria-label="Meeting room">
      {tabs.map((t) => (
        <button
          key={t}
          type="button"
          role="tab"
          aria-selected={t === tab}
          className={t === tab ? "active" : undefined}
          onClick={() => onChange(t)}
        >
          {LABELS[t]}
        </button>
      ))}
    </div>
  );
}

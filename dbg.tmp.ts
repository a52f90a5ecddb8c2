import { analyzeLocally } from "./projections/insights/localProvider";
const r = analyzeLocally({ title: "t", meetingAt: Date.UTC(2025,6,16,11), notesText: "", participants: [{userId:"a",name:"Olivia Grant"},{userId:"b",name:"Raj Mehta"}],
 transcript: [{speakerId:"b",speaker:"Raj",text:"Who's doing the newsletter?",at:1},{speakerId:"a",speaker:"Olivia",text:"I'll handle the newsletter, it goes out on the first Tuesday of August anyway.",at:2}]});
console.log(r.actionItems);

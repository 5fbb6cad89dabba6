import type { Decider } from '@app/event-sourcing';
import type { ComplaintCommand } from './complaint.commands';
import { decide } from './complaint.decide';
import type { ComplaintEvent } from './complaint.events';
import { evolve } from './complaint.evolve';
import { initialComplaintState, type ComplaintState } from './complaint.state';


export const complaintDecider: Decider<ComplaintCommand, ComplaintEvent, ComplaintState> = {
  decide,
  evolve,
  initialState: initialComplaintState,
};

export const complaintStreamName = (complaintId: string): string => `complaint-${complaintId}`;

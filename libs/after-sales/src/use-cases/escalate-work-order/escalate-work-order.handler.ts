import { CommandHandler } from '@nestjs/cqrs';
import type { EscalateWorkOrder } from '@app/domain';
import type { CommandContext, CommandOutcome, DutyHolder } from '@app/complaints';
import { AgentDutyCommandExecutor } from '../../service-network/agent-duty.executor';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

/** An escalation, with the agent it names when the directory found an active one (the fence's key; undefined: a unit, nothing fenced). */
export class EscalateWorkOrderCommand extends WorkOrderCommandMessage<EscalateWorkOrder> {
  readonly type = 'EscalateWorkOrder';
  constructor(id: string, data: EscalateWorkOrder['data'], context: CommandContext, readonly holder?: DutyHolder) {
    super(id, data, context);
  }
}

/**
 * An escalation to a named agent appends the agent's duty in the same atomic append as the order's event, as a
 * complaint's escalation does: a deactivation stored since the caller's directory check refuses it, nothing written
 * (AgentStoodDownError; the directory check then answers agent-inactive, docs/adr/0012).
 */
@CommandHandler(EscalateWorkOrderCommand)
export class EscalateWorkOrderHandler extends WorkOrderCommandHandler<EscalateWorkOrderCommand> {
  constructor(private readonly orders: WorkOrderCommandExecutor, private readonly agents: AgentDutyCommandExecutor) {
    super(orders);
  }

  override async execute({ id, data, context, holder }: EscalateWorkOrderCommand): Promise<CommandOutcome> {
    const command = { type: 'EscalateWorkOrder' as const, workOrderId: id, data };
    if (holder?.role !== 'agent') return this.orders.execute(command, context);
    const [outcome] = await this.orders.executeWith(command, context, [this.agents.takeWorkOrderPart(holder.id, id, context)]);
    return outcome;
  }
}

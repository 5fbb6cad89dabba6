import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { initialProductState, type RecordFindings } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { ProductRepository } from '../../product/product.repository';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';
import { WorkOrderRepository } from '../../work-order/work-order.repository';

export class RecordFindingsCommand {
  constructor(
    readonly workOrderId: string,
    readonly data: Omit<RecordFindings['data'], 'product'>,
    readonly context: CommandContext,
  ) {}
}

/**
 * The findings on site, with the warranty decision computed from the registry: the order names its
 * serial number, so the order is read first to know which product to read. The serial number of an
 * order never changes, so reading the order again in the executor cannot make the two disagree.
 */
@CommandHandler(RecordFindingsCommand)
export class RecordFindingsHandler implements ICommandHandler<RecordFindingsCommand, CommandOutcome> {
  constructor(
    private readonly executor: WorkOrderCommandExecutor,
    private readonly workOrders: WorkOrderRepository,
    private readonly products: ProductRepository,
  ) {}

  async execute({ workOrderId, data, context }: RecordFindingsCommand): Promise<CommandOutcome> {
    const { state: order } = await this.workOrders.load(workOrderId);
    // No order: the executor answers "not found" (or "not in your scope") as for any other command.
    const product = order.status === 'none' ? initialProductState : (await this.products.load(order.product.serialNumber)).state;
    return this.executor.execute({ type: 'RecordFindings', workOrderId, data: { ...data, product } }, context);
  }
}

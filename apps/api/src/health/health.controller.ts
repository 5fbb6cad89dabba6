import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@app/event-store';
import { Public } from '../auth/roles.decorator';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly eventStore: EventStore) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness, and the head position of the event log' })
  async health() {
    return { status: 'ok', eventStore: { headPosition: await this.eventStore.headPosition() } };
  }
}

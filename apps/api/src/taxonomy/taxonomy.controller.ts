import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { TAXONOMY } from '@app/domain';
import { Public } from '../auth/roles.decorator';
import { OkResponse } from '../openapi/api-responses.decorator';
import { TaxonomyDto } from './taxonomy.dto';

@ApiTags('reference')
@Controller('taxonomy')
export class TaxonomyController {
  private readonly body = Object.fromEntries(
    Object.entries(TAXONOMY).map(([name, codes]) => [name, Object.entries(codes).map(([code, labels]) => ({ code, labels }))]),
  );

  @Get()
  @Public()
  @ApiOperation({ summary: 'Taxonomy codes (cause, behaviour, purpose, channel, severity, resolution class, remedy, segment, callback outcome) with zh-CN and en labels' })
  @OkResponse(TaxonomyDto, { description: 'Each taxonomy\'s codes with their zh-CN and en labels.' })
  taxonomy() {
    return this.body;
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AFTER_SALES_TAXONOMY } from '@app/domain';
import { Public } from '../auth/roles.decorator';
import { OkResponse } from '../openapi/api-responses.decorator';
import { AfterSalesTaxonomyDto } from './dto/after-sales-views.dto';

/** Apart from GET /taxonomy, whose keys are the complaint's and stay as they are. */
@ApiTags('reference')
@Controller('taxonomy')
export class AfterSalesTaxonomyController {
  private readonly body = Object.fromEntries(
    Object.entries(AFTER_SALES_TAXONOMY).map(([name, codes]) => [name, Object.entries(codes).map(([code, labels]) => ({ code, labels }))]),
  );

  @Get('after-sales')
  @Public()
  @ApiOperation({ summary: 'After-sales codes (service unit kinds, fault causes, warranty verdicts, charge kinds, remote outcomes, failed-visit reasons, payment methods, closure outcomes, work-order clocks) with zh-CN and en labels' })
  @OkResponse(AfterSalesTaxonomyDto, { description: 'Each after-sales taxonomy\'s codes with their zh-CN and en labels.' })
  taxonomy() {
    return this.body;
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CUSTOMER_FILE_TAXONOMY, TAXONOMY } from '@app/domain';
import { Public } from '../auth/roles.decorator';
import { OkResponse } from '../openapi/api-responses.decorator';
import { TaxonomyDto } from './taxonomy.dto';
import { CustomerFileTaxonomyDto } from '../customers/dto/customer-responses.dto';

@ApiTags('reference')
@Controller('taxonomy')
export class TaxonomyController {
  private readonly body = Object.fromEntries(
    Object.entries(TAXONOMY).map(([name, codes]) => [name, Object.entries(codes).map(([code, labels]) => ({ code, labels }))]),
  );

  private readonly customerFiles = Object.fromEntries(
    Object.entries(CUSTOMER_FILE_TAXONOMY).map(([name, codes]) => [name, Object.entries(codes).map(([code, labels]) => ({ code, labels }))]),
  );

  @Get()
  @Public()
  @ApiOperation({ summary: 'Taxonomy codes (cause, behaviour, purpose, channel, severity, resolution class, remedy, segment, callback outcome) with zh-CN and en labels' })
  @OkResponse(TaxonomyDto, { description: 'Each taxonomy\'s codes with their zh-CN and en labels.' })
  taxonomy() {
    return this.body;
  }

  @Get('customer-files')
  @Public()
  @ApiOperation({ summary: 'Codes of the customer file (category, customer type, credit rating, importance level, the segment dimensions, volume unit, erasure ground) with zh-CN and en labels' })
  @OkResponse(CustomerFileTaxonomyDto, { description: 'Each table: its codes in order, each with its zh-CN and en labels.' })
  customerFileTaxonomy() {
    return this.customerFiles;
  }
}

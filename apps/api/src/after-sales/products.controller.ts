import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canonicalSerialNumber, type Actor, type DepartmentScope } from '@app/domain';
import { ChangeProductOwnerCommand, ExtendWarrantyCommand, GetProductQuery, GetWarrantyQuery, RegisterProductCommand, type ProductView } from '@app/after-sales';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { ALL_ROLES, CurrentActor, CurrentScope, Roles } from '../auth/roles.decorator';
import { CommandRunner } from '../http/command-runner';
import { SerialNumberPipe } from './after-sales-params';
import { AfterSalesCommandDocs } from './command-docs';
import { OkResponse, ProblemResponses, STORE_DAMAGED, etagHeader } from '../openapi/api-responses.decorator';
import { ProductViewDto, WarrantyDecisionDto } from './dto/after-sales-views.dto';
import { ChangeProductOwnerDto, ExtendWarrantyDto, RegisterProductDto, WarrantyQueryDto } from './dto/product.dto';
import { requireEveryDepartment } from './scope';

const SERIAL_PARAM = ApiParam({ name: 'serial', example: 'TQ2240-000731', description: 'The serial number in any case (it is trimmed and upper-cased); a / in it is sent as %2F.' });

const PRODUCT_DOCS = { subject: 'product', deletable: true, spansDepartments: 'supervisor, admin' } as const;
const NOT_REGISTERED = { status: 404, description: 'No product with this serial number is registered (or the path cannot be a serial number).', codes: ['product-not-found'] } as const;

/** Products with serial numbers and warranty terms (one stream each), so that a warranty decision is computed, not typed. */
@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly runner: CommandRunner,
  ) {}

  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, scope: DepartmentScope, dispatch: (context: CommandContext) => unknown, status: 200 | 201 = 200) {
    requireEveryDepartment(scope, 'The product registry');
    return this.runner.run(request, reply, actor, (context) => dispatch(context) as Promise<CommandOutcome>, { status, location: (serialNumber) => `/products/${encodeURIComponent(serialNumber)}`, pathIds: { serial: canonicalSerialNumber }, bodyIds: { serialNumber: canonicalSerialNumber } });
  }

  @Post()
  @HttpCode(201)
  @Roles('supervisor', 'admin')
  @AfterSalesCommandDocs('Register a product by its serial number, with its owner, installation date and warranty terms', { ...PRODUCT_DOCS, command: 'RegisterProduct', created: '/products/TQ2240-000731', illegal: ['product-already-registered'], invalid: ['invalid-serial-number', 'model-required', 'customer-required', 'invalid-date', 'date-in-future', 'date-too-far-ahead', 'invalid-months', 'invalid-coverage'] })
  register(@Body() body: RegisterProductDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { serialNumber, ...data } = body;
    return this.run(request, reply, actor, scope, (context) => this.commands.execute(new RegisterProductCommand(serialNumber, data, context)), 201);
  }

  @Post(':serial/extend-warranty')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @SERIAL_PARAM
  @AfterSalesCommandDocs('Extend the warranty: more months, and possibly more covered (never less)', { ...PRODUCT_DOCS, command: 'ExtendWarranty', invalid: ['invalid-months', 'invalid-coverage', 'coverage-narrowed', 'reason-required'] })
  extend(@Param('serial', SerialNumberPipe) serial: string, @Body() body: ExtendWarrantyDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, (context) => this.commands.execute(new ExtendWarrantyCommand(serial, { ...body }, context)));
  }

  @Post(':serial/change-owner')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @SERIAL_PARAM
  @AfterSalesCommandDocs('Record that the product changed hands; the warranty follows the product', { ...PRODUCT_DOCS, command: 'ChangeProductOwner', illegal: ['same-owner'], invalid: ['customer-required', 'reason-required'] })
  changeOwner(@Param('serial', SerialNumberPipe) serial: string, @Body() body: ChangeProductOwnerDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, (context) => this.commands.execute(new ChangeProductOwnerCommand(serial, { ...body }, context)));
  }

  @Get(':serial')
  @Roles(...ALL_ROLES)
  @SERIAL_PARAM
  @ApiOperation({ summary: 'The product as registered: model, owner, installation date, warranty terms and the last covered day' })
  @OkResponse(ProductViewDto, { description: 'The product as registered.', headers: { ETag: etagHeader('product', 'as of its last event') } })
  @ProblemResponses(NOT_REGISTERED, STORE_DAMAGED)
  async get(@Param('serial', SerialNumberPipe) serial: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.queries.execute<GetProductQuery, ProductView>(new GetProductQuery(serial));
    reply.header('ETag', `"${view.revision}"`);
    return { ...view.state, lastCoveredDay: view.lastCoveredDay, revision: view.revision };
  }

  @Get(':serial/warranty')
  @Roles(...ALL_ROLES)
  @SERIAL_PARAM
  @ApiOperation({ summary: 'The warranty decision a repair reported on that day would record: in warranty, expired, not yet in force, customer damage or not registered, with what is free and what may be charged' })
  @OkResponse(WarrantyDecisionDto, { description: 'The decision (an unregistered serial number is one too: not-registered).' })
  @ProblemResponses(
    { status: 400, codes: ['validation-failed'], description: '`date` is not a date written YYYY-MM-DD, or `cause` is not a fault cause (`errors` names it).' },
    { status: 404, codes: ['product-not-found'], description: 'The path cannot be a serial number.' },
    STORE_DAMAGED,
  )
  warranty(@Param('serial', SerialNumberPipe) serial: string, @Query() query: WarrantyQueryDto) {
    return this.queries.execute(new GetWarrantyQuery(serial, query.date, query.cause));
  }
}

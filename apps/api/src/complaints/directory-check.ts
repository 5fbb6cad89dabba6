import { ForbiddenException, Injectable } from '@nestjs/common';
import { ServiceNetworkRepository, decidedAgainOnFence } from '@app/after-sales';
import { ComplaintListQuery } from '@app/read-models';
import type { DutyHolder } from '@app/complaints';
import { AgentStoodDownError, EngineerStoodDownError, InvalidAccessCommandError, InvalidComplaintCommandError, caseTwinDepartments, checkAssignee, checkDepartment, departmentInScope, checkEscalationTarget, isDirectoryInUse, personById, unitByCode, type DepartmentScope, type DirectoryVerdict } from '@app/domain';

/**
 * Checks the names a complaint command gives against the directory (the service network's units,
 * engineers and agents: GET /service-network): the department and handler of an assignment, the
 * target of an escalation. A refusal is a 400 that names the value and the closest known ones; a
 * directory with no unit yet checks nothing. Each check reads only what was written to the directory
 * since this process last read it (ServiceNetworkRepository.current), by this process or another.
 */
@Injectable()
export class DirectoryCheck {
  constructor(private readonly network: ServiceNetworkRepository, private readonly complaints: ComplaintListQuery) {}

  /**
   * The department and assignee as recorded: the directory's spelling of the unit's code (`DEPT-A` → dept-a, as a dispatch reads a
   * station's) and of the id (`Li.Na` → li.na); while the directory has no unit, the department as complaints first recorded it
   * (`billing` → Billing, recordedDepartment), else as given, and the assignee as given; with the person when the assignee is an
   * active agent or engineer (the fence's key: `give` appends to their duty stream too).
   * When the duty refuses (deactivated since this check: AgentStoodDownError, EngineerStoodDownError), the check runs once more on
   * the directory as it now stands, so the answer is the ordinary refusal (400 unknown-assignee), nothing written (docs/adr/0012).
   */
  assignment<T>(department: string, assignee: string, give: (assignee: string, holder: DutyHolder | undefined, department: string) => Promise<T>): Promise<T> {
    return decidedAgainOnFence(2, isStoodDown, async () => {
      const state = await this.network.current();
      const unit = checkDepartment(state, department);
      refuse(unit);
      // One department whatever its letter case: with no unit to spell it, the spelling first recorded is the department's.
      const code = unit.ok && unit.unit !== undefined ? unit.unit.code : isDirectoryInUse(state) ? department : (await this.complaints.recordedDepartment(department)) ?? department;
      const verdict = checkAssignee(state, code, assignee);
      refuse(verdict);
      const recorded = verdict.ok ? verdict.assignee ?? assignee : assignee;
      // As checkAssignee reads the directory: an active agent first, then an active engineer.
      const holder: DutyHolder | undefined = personById(state.agents, recorded)?.active ? { role: 'agent', id: recorded }
        : personById(state.engineers, recorded)?.active ? { role: 'engineer', id: recorded } : undefined;
      return give(recorded, holder, code);
    });
  }

  /**
   * An engineer filter as the read models record it: the directory's spelling of the id (`ENG-WANG` → eng-wang, personById),
   * or as given when the directory knows no such engineer (nothing then matches but what was recorded so).
   */
  async engineerFilter(engineerId: string | undefined): Promise<string | undefined> {
    if (engineerId === undefined) return undefined;
    return personById((await this.network.current()).engineers, engineerId)?.id ?? engineerId;
  }

  /**
   * A station or department filter as the read models record it: the directory's spelling of the unit's code,
   * as dispatch reads it (`DANDONG-STATION` → dandong-station, unitByCode); when no unit has such a code, the spelling
   * complaints first recorded it in (`billing` → Billing, assigned while the directory had no unit), else as given.
   */
  async unitFilter(code: string | undefined): Promise<string | undefined> {
    if (code === undefined) return undefined;
    return unitByCode((await this.network.current()).units, code)?.code ?? (await this.complaints.recordedDepartment(code)) ?? code;
  }

  /**
   * A limited token's departments as the read models may record them, for a read of all of them: each as given and as unitFilter
   * reads it (`billing`, and Billing when the complaints first recorded it so), since the token's list keeps the spelling it was
   * issued with while the directory had no unit. A read model keyed letter case aside needs none of this (visibilityKeys).
   */
  async scopeAsRecorded(scope: readonly string[]): Promise<readonly string[]> {
    const recorded = await Promise.all(scope.map(async (department) => [department, (await this.unitFilter(department)) ?? department]));
    return [...new Set(recorded.flat())];
  }

  /**
   * The one check of a token's departments, for a command and a read filter alike: the department (or station) named, read as the
   * directory reads it (unitFilter), must be one of the token's, else 403 naming both and what to do instead, before anything is
   * decided or read. Answers the code as the directory spells it. Without it a supervisor of one department gave its complaint to
   * another (or an order to another station), a decision for a unit the token has no say in, after which the complaint answered it 404.
   */
  async requireWithinScope(scope: DepartmentScope, code: string, field: string, use: 'command' | 'filter' = 'command'): Promise<string> {
    const recorded = (await this.unitFilter(code)) ?? code;
    if (scope === 'all' || departmentInScope(scope, recorded)) return recorded;
    throw new ForbiddenException(`${field} ${code} is not one of your departments (${scope.join(', ')}): a token limited to departments ${use === 'command'
      ? 'assigns and dispatches only within them. Choose one of yours, or ask a supervisor of every department, or escalate.'
      : 'reads only what is in them. Ask for one of yours, or leave it out to read all of yours.'}`);
  }

  /**
   * The departments of a token's scope as they are recorded: each a unit of the directory (a 400 `invalid-access-command` naming it),
   * in the directory's spelling (`DEPT-A` → dept-a, as an assignment reads it), so that the token reaches what is recorded so.
   */
  async departments(departments: string[] | undefined): Promise<string[] | undefined> {
    if (!departments || departments.length === 0) return departments;
    // As given, before the directory spells them alike: the CLI refuses the same lists (decideIssue, before any data is read).
    const twins = caseTwinDepartments(departments);
    if (twins !== undefined) throw new InvalidAccessCommandError('departments', twins);
    const state = await this.network.current();
    return departments.map((department, index) => {
      const verdict = checkDepartment(state, department, `departments[${index}]`);
      if (!verdict.ok) throw new InvalidAccessCommandError(verdict.field, verdict.message);
      return verdict.unit?.code ?? department;
    });
  }

  /**
   * The escalation target as it is recorded: a unit named by its Chinese or English name becomes its
   * code, an agent named by name their id (so notifications and reports find them); any text while
   * the directory has no unit. An agent's id goes to `give` as the fence's key, as for an assignment.
   */
  escalation<T>(target: string, give: (to: string, holder: DutyHolder | undefined) => Promise<T>): Promise<T> {
    return decidedAgainOnFence(2, isStoodDown, async () => {
      const verdict = checkEscalationTarget(await this.network.current(), target);
      refuse(verdict);
      const agentId = verdict.ok ? verdict.agentId : undefined;
      return give(verdict.ok ? verdict.unit?.code ?? agentId ?? target : target, agentId === undefined ? undefined : { role: 'agent', id: agentId });
    });
  }
}

const isStoodDown = (error: unknown): boolean => error instanceof AgentStoodDownError || error instanceof EngineerStoodDownError;

function refuse(verdict: DirectoryVerdict): void {
  if (!verdict.ok) throw new InvalidComplaintCommandError(verdict.code, verdict.field, verdict.message);
}

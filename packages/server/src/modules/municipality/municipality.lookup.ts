// Resolving the codes clients use (132047, kyoiku) to rows, with the errors a client sees
// when a code names nothing.
import type { PrismaClient } from '../../db/client.ts';
import { ErrorCode, UserInputError, ValidationError } from '../../errors.ts';

export function municipalityNotFound(code: string) {
  return new UserInputError(
    ErrorCode.MUNICIPALITY_NOT_FOUND,
    `No municipality has the code "${code.slice(0, 16)}"`,
    { argument: 'municipality' },
  );
}

export async function requireMunicipality(
  prisma: Pick<PrismaClient, 'municipality'>,
  code: string,
) {
  const municipality = await prisma.municipality.findUnique({ where: { code } });
  if (!municipality) throw municipalityNotFound(code);
  return municipality;
}

export async function requireDepartment(
  prisma: PrismaClient,
  municipalityCode: string,
  departmentCode: string,
) {
  const municipality = await requireMunicipality(prisma, municipalityCode);
  const department = await prisma.department.findUnique({
    where: { municipalityId_code: { municipalityId: municipality.id, code: departmentCode } },
  });
  if (!department) {
    throw new UserInputError(
      ErrorCode.DEPARTMENT_NOT_FOUND,
      `${municipality.name} has no department with the code "${departmentCode.slice(0, 64)}"`,
      { argument: 'department' },
    );
  }
  return department;
}

/**
 * The municipality a mutation input's `municipality` code names; otherwise a ValidationError on
 * that field (mutations report it as a typed result, not as a request error).
 */
export async function municipalityOfInput(
  prisma: Pick<PrismaClient, 'municipality'>,
  code: string,
) {
  const municipality = await prisma.municipality.findUnique({ where: { code } });
  if (!municipality) {
    throw ValidationError.of(
      ['input', 'municipality'],
      'NOT_FOUND',
      `No municipality has the code ${code}`,
    );
  }
  return municipality;
}

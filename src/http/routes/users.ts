import { Type } from 'typebox';
import type { App } from '../app.ts';
import { DateTimeValue, IdParams, Nullable, StringEnum, problems } from '../schemas.ts';
import { actor, ADMIN } from '../access.ts';
import { ROLES } from '../../domain/roles.ts';

const Role = StringEnum(ROLES);

export const UserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  employeeId: Nullable(Type.String({ format: 'uuid' })),
  serviceAccount: Type.Boolean(),
  disabled: Type.Boolean(),
  mailNotifications: Type.Boolean({ description: 'E-mail notifications on (to the e-mail of the linked employee card); each user switches them for herself' }),
  createdAt: DateTimeValue,
  updatedAt: DateTimeValue,
});


export function userRoutes(app: App): void {
  const { users } = app.ctx.services;

  app.get(
    '/users',
    {
      config: { access: ADMIN },
      schema: { operationId: 'listUsers', tags: ['users'], summary: 'All users', response: { 200: Type.Array(Type.Intersect([UserSchema, Type.Object({ employeeName: Nullable(Type.String({ description: 'The linked employee card’s name' })) })])), ...problems(401, 403) } },
    },
    async () => users.list(),
  );

  app.post(
    '/users',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'createUser',
        tags: ['users'],
        summary: 'Create a user (employee users are linked to an employee card; service accounts have no password)',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            displayName: Type.Optional(Type.String({ maxLength: 200 })),
            role: Role,
            password: Type.Optional(Type.String({ maxLength: 256 })),
            employeeId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
            serviceAccount: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: UserSchema, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await users.create(actor(request), request.body)),
  );

  app.patch(
    '/users/:id',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'updateUser',
        tags: ['users'],
        summary: 'Change a user: role, name, password, employee card, disabled',
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(Type.String({ maxLength: 200 })),
            role: Type.Optional(Role),
            password: Type.Optional(Type.String({ maxLength: 256 })),
            employeeId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
            disabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => users.update(actor(request), request.params.id, request.body, request.principal!.tokenId),
  );
}

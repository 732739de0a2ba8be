import { PermissionType, WellKnownRoles, makeRoles } from "node-opcua";

/** A user the sim accepts; a readOnly one lacks the Operator role, so it may not write. */
export interface SimUser {
  name: string;
  password: string;
  readOnly?: boolean;
}

/** With users, every logged-in user reads (values and history) and the Operator role writes. */
export const OPERATORS_WRITE = [
  { roleId: WellKnownRoles.AuthenticatedUser, permissions: PermissionType.Browse | PermissionType.Read | PermissionType.ReadHistory | PermissionType.ReceiveEvents },
  { roleId: WellKnownRoles.Operator, permissions: PermissionType.Browse | PermissionType.Read | PermissionType.ReadHistory | PermissionType.Write | PermissionType.ReceiveEvents },
];

export function usersOption(users: SimUser[] | undefined) {
  if (!users?.length) return {};
  const find = (name: string) => users.find((u) => u.name === name);
  return {
    allowAnonymous: false,
    userManager: {
      isValidUser: (name: string, password: string) => find(name)?.password === password,
      getUserRoles: (name: string) => makeRoles(find(name)?.readOnly ? "AuthenticatedUser" : "AuthenticatedUser;Operator"),
    },
  };
}

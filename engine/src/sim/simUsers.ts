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

/**
 * `onLogin` hears of every user name and password check the server makes (the name and the
 * verdict, never the password): tests see from it whether a credential reached the server at all.
 */
export function usersOption(users: SimUser[] | undefined, onLogin?: (user: string, accepted: boolean) => void) {
  if (!users?.length) return {};
  const find = (name: string) => users.find((u) => u.name === name);
  return {
    allowAnonymous: false,
    userManager: {
      isValidUser: (name: string, password: string) => {
        const accepted = find(name)?.password === password;
        onLogin?.(name, accepted);
        return accepted;
      },
      getUserRoles: (name: string) => makeRoles(find(name)?.readOnly ? "AuthenticatedUser" : "AuthenticatedUser;Operator"),
    },
  };
}

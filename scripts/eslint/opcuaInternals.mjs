// The lint rule that keeps node-opcua's internals behind their one door, engine/src/opcuaInternals/
// (eslint.config.mjs turns it on everywhere else in the engine and the language server).
//
// It needs the types, not the syntax alone: what makes a cast or an underscore member an internal
// is the object it is applied to. So it refuses, on a value whose type node-opcua declares:
// - `x as unknown as T` and `x as any`: how TypeScript is talked out of node-opcua's own typing;
// - a member whose name starts with `_` (`client._secureChannel`): node-opcua's marker of a member
//   outside its API, even where its declarations leave it public.
// It allows `x as unknown as Record<string, T>`, the lookup of a public table by a name read at run
// time (`StatusCodes[name]`, `MethodIds[name]`): no internal is reached that way.

const OPCUA_DECLARATION = /[\\/]node_modules[\\/]node-opcua[^\\/]*[\\/]/;
const MESSAGE =
  "node-opcua internals (a cast that bypasses its types, a `_` member) live in engine/src/opcuaInternals/ alone, each with a test that fails when an upgrade changes it: add a function there.";

/** Whether node-opcua declares the type of `node` (or of one member of its union, nulls aside). */
function declaredByOpcua(services, node) {
  const checker = services.program.getTypeChecker();
  const type = checker.getNonNullableType(services.getTypeAtLocation(node));
  return (type.isUnion() ? type.types : [type]).some((t) => (t.getSymbol() ?? t.aliasSymbol)?.getDeclarations()?.some((d) => OPCUA_DECLARATION.test(d.getSourceFile().fileName)));
}

const widens = (cast) => cast.type === "TSAsExpression" && (cast.typeAnnotation.type === "TSUnknownKeyword" || cast.typeAnnotation.type === "TSAnyKeyword");
const isNameLookup = (type) => type.type === "TSTypeReference" && type.typeName.type === "Identifier" && type.typeName.name === "Record";
const memberName = (member) => (member.computed ? (typeof member.property.value === "string" ? member.property.value : undefined) : member.property.name);

export const opcuaInternals = {
  meta: { type: "problem", docs: { description: "node-opcua internals only in engine/src/opcuaInternals/" }, schema: [], messages: { internal: MESSAGE } },
  create(context) {
    const services = context.sourceCode.parserServices;
    return {
      TSAsExpression(cast) {
        if (!widens(cast)) return;
        const next = cast.parent.type === "TSAsExpression" ? cast.parent : undefined;
        // `x as unknown` alone only hands x on as unknown; the second cast is what reaches in.
        if (cast.typeAnnotation.type === "TSUnknownKeyword" && (!next || isNameLookup(next.typeAnnotation))) return;
        if (declaredByOpcua(services, cast.expression)) context.report({ node: next ?? cast, messageId: "internal" });
      },
      MemberExpression(member) {
        if (memberName(member)?.startsWith("_") && declaredByOpcua(services, member.object)) context.report({ node: member, messageId: "internal" });
      },
    };
  },
};

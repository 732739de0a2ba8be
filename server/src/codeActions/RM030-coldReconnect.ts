import { attribute } from "../../../engine/src/config/xmlTree";
import { elementAt } from "../elementAt";
import { attributeRemoval, fix, type QuickFix } from "./quickFix";

/** RM030: either drop alwaysReconnectToPrimary, or keep it and switch the pair to warm mode. */
export const RM030: QuickFix = {
  code: "RM030",
  fixes(context) {
    const { span } = context.finding;
    const removal = attributeRemoval(context.analysis.text, span);
    const actions = [fix(context, "Remove alwaysReconnectToPrimary (not supported in cold mode)", [{ span: removal, newText: "" }], true)];
    const connection = elementAt(context.analysis.tree.root, span.start);
    const mode = connection?.name === "connection" ? attribute(connection, "mode") : undefined;
    if (mode) actions.push(fix(context, "Switch to warm mode (keeps failing back to the primary)", [{ span: mode.valueSpan, newText: "warm" }]));
    return actions;
  },
};

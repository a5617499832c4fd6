import type { JourneyName } from "../vocabulary";
import { atmDifferentAnswers } from "./atm-different-answers";
import { atmDoubleSpend } from "./atm-double-spend";
import { avatarAfterReplace } from "./avatar-after-replace";
import { avatarUpload } from "./avatar-upload";
import { bruteForce } from "./brute-force";
import { chatAcrossServers } from "./chat-across-servers";
import { chatPresence } from "./chat-presence";
import { chatRollingDeploy } from "./chat-rolling-deploy";
import { chatScaleOut } from "./chat-scale-out";
import { chatServerCrash } from "./chat-server-crash";
import { chatTyping } from "./chat-typing";
import { chaos } from "./chaos";
import { concurrency } from "./concurrency";
import { happyPath } from "./happy-path";
import type { Journey } from "./journey";
import { kitchenCrash } from "./kitchen-crash";
import { kitchenRollingDeploy } from "./kitchen-rolling-deploy";
import { kitchenScaleOut } from "./kitchen-scale-out";
import { loadSpread } from "./load-spread";
import { logoutEverywhere } from "./logout-everywhere";
import { ordersOutliveEverything } from "./orders-outlive-everything";
import { noStickiness } from "./no-stickiness";
import { rollingDeploy } from "./rolling-deploy";
import { scaleOut } from "./scale-out";
import { serverCrash } from "./server-crash";
import { storeOutage } from "./store-outage";
import { storeFailover } from "./store-failover";
import { storeRestart } from "./store-restart";

export const JOURNEYS: Record<JourneyName, Journey> = {
  "happy-path": happyPath,
  "no-stickiness": noStickiness,
  "server-crash": serverCrash,
  "rolling-deploy": rollingDeploy,
  "scale-out": scaleOut,
  concurrency,
  "logout-everywhere": logoutEverywhere,
  "store-outage": storeOutage,
  "load-spread": loadSpread,
  "store-restart": storeRestart,
  "store-failover": storeFailover,
  "atm-different-answers": atmDifferentAnswers,
  "atm-double-spend": atmDoubleSpend,
  "orders-outlive-everything": ordersOutliveEverything,
  "avatar-upload": avatarUpload,
  "avatar-after-replace": avatarAfterReplace,
  "kitchen-crash": kitchenCrash,
  "kitchen-scale-out": kitchenScaleOut,
  "kitchen-rolling-deploy": kitchenRollingDeploy,
  "chat-across-servers": chatAcrossServers,
  "chat-presence": chatPresence,
  "chat-typing": chatTyping,
  "chat-server-crash": chatServerCrash,
  "chat-rolling-deploy": chatRollingDeploy,
  "chat-scale-out": chatScaleOut,
  chaos,
  "brute-force": bruteForce,
};

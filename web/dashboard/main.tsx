import { render } from "preact";
import { Dashboard } from "./Dashboard";
import "../shared/style.css";

render(<Dashboard />, document.getElementById("app")!);

import { render } from "preact";
import { Dashboard } from "./Dashboard";
import "./style.css";

render(<Dashboard />, document.getElementById("app")!);

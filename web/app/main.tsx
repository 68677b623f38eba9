import { render } from "preact";
import { App } from "./App";
import "../shared/style.css";

render(<App />, document.getElementById("app")!);

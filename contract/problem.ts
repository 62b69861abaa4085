/** A problem at one field of a request (`path` as the API names it, e.g. `body.subject.id`), as rules and the API's 4xx answers give it. */
export interface FieldProblem {
  path: string;
  message: string;
}

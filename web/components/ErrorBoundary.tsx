"use client";

import { Component, type ErrorInfo, type ReactNode } from "react";
import { errorCode, plainError } from "../lib/errors";

type Props = { children: ReactNode; fallback?: (message: string, code?: string) => ReactNode };
type State = { error: unknown };

/**
 * Shows a query's failure (Convex `useQuery` throws into the nearest
 * boundary) in plain words instead of a blank page.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.warn("view failed", error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === null) return this.props.children;
    const message = plainError(error);
    const code = errorCode(error);
    if (this.props.fallback) return this.props.fallback(message, code);
    return (
      <p role="alert" className="error" data-error-code={code}>
        {message}
      </p>
    );
  }
}
